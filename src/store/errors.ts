/**
 * Unique-constraint violation from either adapter: Prisma code P2002 from model queries, a raw query's
 * failure (P2010) that the driver adapter classified as one, or that adapter error itself.
 */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as {
    name?: string;
    code?: string;
    cause?: { kind?: string };
    meta?: { driverAdapterError?: { cause?: { kind?: string } } };
  };
  if (err.name === 'DriverAdapterError') return err.cause?.kind === 'UniqueConstraintViolation';
  return (
    err.code === 'P2002' ||
    (err.code === 'P2010' && err.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation')
  );
}
