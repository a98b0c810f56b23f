export function startPgbouncer(options: { upstreamPort: number; password: string; authType?: 'trust' | 'plain' }): Promise<{ port: number; stop: () => void }>;
