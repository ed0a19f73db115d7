/** Base class for errors the store raises on purpose (as opposed to driver failures). */
export class StoreError extends Error {
  override name = 'StoreError';
}

export type Entity = 'Session' | 'Message' | 'Project' | 'ApiToken' | 'DeviceCode';

export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  readonly entity: Entity;
  readonly id: string;
  constructor(entity: Entity, id: string) {
    super(`${entity} ${id} not found`);
    this.entity = entity;
    this.id = id;
  }
}

export class ConflictError extends StoreError {
  override name = 'ConflictError';
  readonly entity: Entity;
  /** The id that was refused (for a conflict on another unique column, the id the row would have had). */
  readonly id: string;
  constructor(entity: Entity, id: string, message = `${entity} ${id} already exists`) {
    super(message);
    this.entity = entity;
    this.id = id;
  }
}

/** Input that fails validation; nothing has been written when this is thrown. */
export class InvalidInputError extends StoreError {
  override name = 'InvalidInputError';
}
