/** An error a handler throws to answer with a given status and JSON body. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record< string, unknown >,
		readonly headers: Record< string, string > = {}
	) {
		super(
			typeof body.error === 'string' ? body.error : `HTTP ${ status }`
		);
		this.name = 'HttpError';
	}
}

/** Laravel answers validation failures with 422; the CRM keeps the `{"error": …}` shape. */
export function validationError( message: string ): HttpError {
	return new HttpError( 422, { error: message } );
}
