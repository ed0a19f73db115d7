export type TemplateErrorCode =
  | 'not_found'
  | 'invalid_manifest'
  | 'workspace_not_empty'
  | 'install_failed'
  | 'cancelled';

/** Every failure of the template module: a stable `code` and a message meant for a person. */
export class TemplateError extends Error {
  readonly code: TemplateErrorCode;

  constructor(code: TemplateErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
    this.code = code;
  }
}
