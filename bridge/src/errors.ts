/**
 * An error that maps onto an HTTP answer `{"error": code, "message": …}` with `status`.
 * Messages are written for the site owner and never contain secrets.
 */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super( message );
		this.name = 'HttpError';
	}
}
