import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from './context';
import { fromApplicant, toKycStatus } from './mappers';
import { requestedFields } from './selection';
import { KycStatus } from './types/enums';
import type { KycUser } from './types/kyc-user';

/** KycUser fields that only `/data` can answer. */
const DATA_FIELDS = ['level', 'person', 'documents', 'review', 'raw'];

/**
 * Reads a person with no more upstream calls than the selection needs:
 * `status` costs a `/status` call, personal fields a `/data` call, and a bare
 * `id` a `/status` call to learn whether the person exists. Null when Kraken
 * knows no such user.
 */
export async function loadUser(ctx: RequestContext, id: string, info: GraphQLResolveInfo): Promise<KycUser | null> {
  const fields = requestedFields(info);
  const needsData = DATA_FIELDS.some((field) => fields.has(field));
  const needsStatus = fields.has('status') || !needsData;
  const [status, applicant] = await Promise.all([
    needsStatus ? ctx.loaders.status.load(id) : undefined,
    needsData ? ctx.loaders.data.load(id) : undefined,
  ]);
  if (status === null || applicant === null) return null;

  return {
    id,
    status: status ? statusOf(ctx, id, status.status) : KycStatus.UNKNOWN,
    ...(applicant ? fromApplicant(applicant) : { documents: [] }),
  };
}

/** Maps a Kraken status, logging values the schema does not know yet. */
export function statusOf(ctx: RequestContext, userId: string, value: unknown): KycStatus {
  return toKycStatus(value, (unknown) =>
    ctx.logger.warn({ userId, status: unknown }, 'Kraken sent a status this schema does not know; answering UNKNOWN'),
  );
}
