import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { FileResolver } from './resolvers/file-resolver';
import { LinkResolver } from './resolvers/link-resolver';
import { SessionResolver } from './resolvers/session-resolver';
import { UserResolver } from './resolvers/user-resolver';

export const RESOLVERS = [LinkResolver, SessionResolver, UserResolver, FileResolver] as const;

/** The executable schema, built from the decorated classes. */
export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    // Arguments are checked by hand where it matters; class-validator is not installed.
    validate: false,
  });
}
