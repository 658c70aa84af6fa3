// Placeholder until the demo importer lands: see lib/import.
export async function loadDemoIfEmpty(_options: { log: (line: string) => void }): Promise<void> {}
