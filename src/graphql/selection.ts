import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Names of the fields requested directly below the current field, following
 * inline and named fragments. Directives such as `@skip` are not evaluated: a
 * field that may be skipped still counts, which only costs a read.
 */
export function requestedFields(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  for (const node of info.fieldNodes) collect(node.selectionSet, info, names, new Set());

  return names;
}

function collect(
  set: SelectionSetNode | undefined,
  info: GraphQLResolveInfo,
  names: Set<string>,
  visited: Set<string>,
): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === 'Field') {
      names.add((selection as FieldNode).name.value);
    } else if (selection.kind === 'InlineFragment') {
      collect(selection.selectionSet, info, names, visited);
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      collect(info.fragments[selection.name.value]?.selectionSet, info, names, visited);
    }
  }
}
