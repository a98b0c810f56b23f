export function latencyProxy(upstream: { port: number; host?: string; delayMs: number }): Promise<{
  port: number;
  /** Round trips after login, per connection, in the order connections were opened. */
  roundTrips: () => number[];
  close: () => Promise<void>;
}>;
