import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config';

export interface Protections {
  /** Depth, alias, cost and directive limits, for HTTP and WebSocket alike. */
  validationRules: ValidationRule[];
  /** Apollo plugins: hidden field suggestions. */
  plugins: ApolloServerPlugin[];
  /**
   * Most tokens in a document, enforced by graphql's own parser (Apollo's
   * `parseOptions`), so an over-long query is a 400 parse error. armor's
   * token plugin throws from a hook instead, which Apollo answers with 500.
   */
  maxTokens: number;
  /** Whether "Did you mean …?" hints are left out of error messages. */
  hideSuggestions: boolean;
}

/**
 * Query limits from graphql-armor, so an abusive query is refused while it
 * is validated, before any resolver (or Kraken) sees it.
 */
export function createProtections(limits: LimitsConfig, hideSuggestions: boolean): Protections {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: hideSuggestions },
  }).protect();

  return { validationRules: armor.validationRules, plugins: armor.plugins, maxTokens: limits.maxTokens, hideSuggestions };
}
