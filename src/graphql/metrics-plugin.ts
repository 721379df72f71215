import type { ApolloServerPlugin } from '@apollo/server';
import { type Metrics, operationLabeller } from '../metrics';
import type { RequestContext } from './context';

/** Counts GraphQL operations by name and outcome and times them. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  const label = operationLabeller();

  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, response }) {
          const operation = label(operationName);
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          metrics.graphqlOperations.inc({ operation, outcome: typeof code === 'string' ? code : 'ok' });
          metrics.graphqlDuration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
