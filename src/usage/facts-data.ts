/**
 * ModuleFacts as plain JSON data, and back: the form the facts cache stores (facts-cache.ts) and
 * the parse workers hand over (parse-pool.ts). analyzeModule keeps nothing of the AST (positions,
 * names and reasons only), so the data is complete: the graph walk and param-flow need nothing
 * else. Maps become entry lists, which keeps their order, so a module read from the cache or from
 * a worker gives the same output as one parsed here.
 */
import { FlowIndex } from './param-flow.js';
import type { ModuleFacts } from './module-facts.js';

type Entries<V> = [string, V][];
type FlowData = {
  functions: FlowIndex['functions'];
  callables: Entries<number>;
  exported: Entries<FlowIndex['exported'] extends Map<string, infer E> ? E : never>;
  /** Uses by name, each use as [at, line, column, kind, text, call, guard]. */
  uses: Entries<[number, number, number, string, string, unknown, unknown][]>;
  paramFunctions: Entries<number[]>;
};

export type FactsData = Omit<ModuleFacts, 'flow' | 'importedFrom'> & { flow: FlowData; importedFrom: Entries<string> };

export function factsToData(facts: ModuleFacts): FactsData {
  const flow = facts.flow;
  return {
    ...facts,
    importedFrom: [...facts.importedFrom],
    flow: {
      functions: flow.functions,
      callables: [...flow.callables],
      exported: [...flow.exported],
      uses: [...flow.uses].map(([name, list]) => [name, list.map((u) => [u.at, u.line, u.column, u.kind, u.text, u.call, u.guard])]),
      paramFunctions: [...flow.paramFunctions],
    },
  };
}

export function factsFromData(data: FactsData): ModuleFacts {
  const flow = new FlowIndex();
  flow.functions.push(...data.flow.functions);
  for (const [k, v] of data.flow.callables) flow.callables.set(k, v);
  for (const [k, v] of data.flow.exported) flow.exported.set(k, v);
  for (const [k, v] of data.flow.paramFunctions) flow.paramFunctions.set(k, v);
  // FlowIndex reads the fields of a use only, so a plain object of the same shape stands in for its class.
  type Use = FlowIndex['uses'] extends Map<string, (infer U)[]> ? U : never;
  for (const [name, list] of data.flow.uses) {
    flow.uses.set(name, list.map(([at, line, column, kind, text, call, guard]) => ({ at, line, column, kind, text, call, guard }) as unknown as Use));
  }
  return { ...data, importedFrom: new Map(data.importedFrom), flow };
}
