import type { Node } from '@babel/types';
import type { Dialect, Position } from '../ast.js';

/** One module's tree in Babel's shapes (undefined when it could not be parsed), and what went wrong. */
export type ParsedModule = { program: Node | undefined; dialect: Dialect; problems: (Position & { message: string })[] };
