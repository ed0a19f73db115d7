export { ConflictError, InvalidInputError, NotFoundError, StoreError } from './errors.ts';
export { type IdPrefix, newId } from './ids.ts';
export { toProjectInfo } from './projects.ts';
export {
  exportSessionDocument,
  type ImportOptions,
  importInputFrom,
  parseSessionDocument,
  type SessionDocument,
  SessionDocumentError,
  sessionDocumentOf,
} from './session-document.ts';
export { snippetAround } from './session-search.ts';
export { isRunState } from './sessions.ts';
export { openStore } from './store.ts';
export type * from './types.ts';
