// The schema version this release writes: MIGRATIONS.length (migrations.ts), kept in
// its own module so a check whose log is up to date never loads the schema's text.
export const SCHEMA_VERSION = 9;
