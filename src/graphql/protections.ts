import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config';

export interface Protections {
  /** Depth, alias, cost and directive limits, for HTTP and WebSocket alike. */
  validationRules: ValidationRule[];
  /** Apollo plugins: the token limit (at parse time) and hidden field suggestions. */
  plugins: ApolloServerPlugin[];
  maxTokens: number;
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
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 20 },
    blockFieldSuggestion: { enabled: hideSuggestions },
  }).protect();

  return { validationRules: armor.validationRules, plugins: armor.plugins, maxTokens: limits.maxTokens };
}
