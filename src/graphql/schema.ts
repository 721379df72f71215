import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { authChecker } from '../auth/access';
import { StatusEvents } from '../events/status-events';
import { FileResolver } from './resolvers/file-resolver';
import { LinkResolver } from './resolvers/link-resolver';
import { SessionResolver } from './resolvers/session-resolver';
import { StatusResolver } from './resolvers/status-resolver';
import { UserResolver } from './resolvers/user-resolver';

export const RESOLVERS = [LinkResolver, SessionResolver, UserResolver, FileResolver, StatusResolver] as const;

/**
 * The executable schema, built from the decorated classes. Subscriptions read
 * from `events` through the request context; the pub/sub is handed to
 * type-graphql only because it requires one.
 */
export function createSchema(events: StatusEvents = new StatusEvents()): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    pubSub: events.pubSub as PubSub,
    authChecker,
    // Arguments are checked by hand where it matters; class-validator is not installed.
    validate: false,
  });
}
