/**
 * Unique-constraint violation from either adapter: Prisma code P2002 from model queries, or a raw query's
 * failure (P2010) that the driver adapter classified as one.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return err.code === 'P2002' || (err.code === 'P2010' && err.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
