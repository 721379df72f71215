import type { AuthChecker } from 'type-graphql';
import { ErrorCode, FacadeError } from '../errors';
import type { RequestContext } from '../graphql/context';
import type { Caller } from './caller';

/**
 * Access rules, declared on resolvers with type-graphql's `@Authorized`:
 * `@Authorized()` needs any signed-in caller; `@Authorized(personIn('id'))`
 * needs the caller linked to the Kraken user named by that argument, or the
 * admin role.
 */
export function personIn(argument: string): string {
  return `person:${argument}`;
}

export const authChecker: AuthChecker<RequestContext> = async ({ context, args }, rules) => {
  const caller = requireCaller(context);
  for (const rule of rules) {
    const argument = /^person:(\w+)$/.exec(rule)?.[1];
    if (argument === undefined) throw new Error(`unknown access rule "${rule}"`);
    await assertMayRead(context, caller, args[argument]);
  }

  return true;
};

export function requireCaller(context: RequestContext): Caller {
  if (!context.caller) {
    throw new FacadeError(ErrorCode.UNAUTHENTICATED, 'sign in first: send Authorization: Bearer <token>');
  }

  return context.caller;
}

/**
 * Refuses unless the caller went through this person's journey or is an
 * admin. The answer is the same whether or not the person exists.
 */
export async function assertMayRead(context: RequestContext, caller: Caller, userId: unknown): Promise<void> {
  if (caller.admin) return;
  if (typeof userId === 'string' && (await context.services.linkStore.isLinked(caller.subject, userId))) return;

  throw new FacadeError(ErrorCode.FORBIDDEN, 'you may not see this person\u2019s KYC record');
}
