import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { getPool } from './pool';

const globalForPrisma = globalThis as unknown as { tagwisePrisma?: PrismaClient; tagwisePrismaPool?: unknown };

function createClient(): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg(getPool()),
    omit: { user: { passwordHash: true } }, // password hashes are fetched only where a check needs them
  });
}

/** The one Prisma client of this process. */
export function db(): PrismaClient {
  const pool = getPool();
  if (!globalForPrisma.tagwisePrisma || globalForPrisma.tagwisePrismaPool !== pool) {
    globalForPrisma.tagwisePrisma = createClient();
    globalForPrisma.tagwisePrismaPool = pool;
  }
  return globalForPrisma.tagwisePrisma;
}

export type { PrismaClient };
