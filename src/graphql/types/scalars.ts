import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';

/** ISO 8601 date-time (graphql-scalars `DateTime`). */
export const DateTimeScalar = DateTimeResolver;

/** Any JSON object (graphql-scalars `JSONObject`). */
export const JSONObjectScalar = JSONObjectResolver;
