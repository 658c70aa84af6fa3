/** Errors whose message is meant for the person who caused them; anything else is reported generically. */
export class ExpectedError extends Error {
  constructor(
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = 'ExpectedError';
  }
}

export class UnauthenticatedError extends ExpectedError {
  constructor() {
    super('Please sign in.', 401);
  }
}

export class ForbiddenError extends ExpectedError {
  constructor(message = 'Your role does not allow this.') {
    super(message, 403);
  }
}

export class NotFoundError extends ExpectedError {
  constructor(what = 'The item') {
    super(`${what} was not found.`, 404);
  }
}
