<?php
/**
 * The body of `POST /bridge/users`: several user writes in one request.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Users;

use PulseSync\HttpError;

defined( 'ABSPATH' ) || exit;

/**
 * A batch of user writes, `{"writes":[…]}`, answered item by item.
 *
 * Each request to WordPress pays a full boot, several times the cost of writing one user, so
 * the bridge sends the writes of its concurrent jobs together. Each item is still validated and
 * written on its own, with its own named locks and its own idempotency on `delivery_id`: a bad
 * item answers its own error and the items after it are written all the same.
 *
 * The items are not wrapped in one database transaction: the named locks would then have to be
 * held until the COMMIT of the whole batch, a deadlock rollback (which $wpdb does not raise) would
 * silently undo items already answered, and welcome emails and hooks would fire for users a
 * rollback could still remove; and measured against autocommit it was no faster.
 *
 * @since 0.1.0
 */
class UserBatch {

	/**
	 * Most writes per request unless the `pulse_sync_bridge_batch_max` filter says otherwise.
	 *
	 * @since 0.1.0
	 */
	public const DEFAULT_MAX = 50;

	/**
	 * The raw items, each validated when it is written.
	 *
	 * @since 0.1.0
	 * @var array<int,mixed>
	 */
	private array $writes;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param array<int,mixed> $writes Raw items.
	 */
	private function __construct( array $writes ) {
		$this->writes = $writes;
	}

	/**
	 * Validates the envelope of a decoded JSON body; nothing is written when it is refused.
	 *
	 * @since 0.1.0
	 *
	 * @param mixed $body Decoded JSON.
	 * @return self
	 * @throws HttpError 400 `pulse_sync_invalid_payload` without a non-empty `writes` list,
	 *                   400 `pulse_sync_batch_too_large` above the maximum.
	 */
	public static function from_body( $body ): self {
		$writes = is_array( $body ) ? ( $body['writes'] ?? null ) : null;
		if ( ! is_array( $writes ) || array() === $writes || ! array_is_list( $writes ) ) {
			/* translators: %s: field name. */
			throw new HttpError( 400, 'pulse_sync_invalid_payload', sprintf( __( 'Invalid or missing field: %s.', 'pulse-sync' ), 'writes' ) );
		}
		$max = self::max_size();
		if ( count( $writes ) > $max ) {
			/* translators: 1: writes sent, 2: most writes accepted. */
			throw new HttpError( 400, 'pulse_sync_batch_too_large', sprintf( __( '%1$d user writes in one request; at most %2$d are accepted.', 'pulse-sync' ), count( $writes ), $max ) );
		}
		return new self( $writes );
	}

	/**
	 * Writes every item in order.
	 *
	 * @since 0.1.0
	 *
	 * @param Upserter $upserter The writer of one user.
	 * @return array<int,array> Per item, in order: the upserter's result, or
	 *                          `{"error":{"code","message","status"}}`.
	 */
	public function write( Upserter $upserter ): array {
		return array_map( static fn( $write ) => self::write_one( $upserter, $write ), $this->writes );
	}

	/**
	 * Writes one item; its failure becomes its answer.
	 *
	 * @since 0.1.0
	 *
	 * @param Upserter $upserter The writer of one user.
	 * @param mixed    $write    Raw item.
	 * @return array
	 */
	private static function write_one( Upserter $upserter, $write ): array {
		try {
			return $upserter->upsert( UserPayload::from_array( $write ) );
		} catch ( HttpError $e ) {
			return self::error( $e );
		} catch ( \Throwable $e ) {
			// Another plugin's hook (user_register, pulse_sync_user_created, …) may throw; the
			// items after this one are still written, and the bridge retries this one.
			error_log( 'Pulse Sync: user write failed: ' . get_class( $e ) . ' in ' . $e->getFile() . ':' . $e->getLine() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- operators need to see unexpected failures.
			return self::error( new HttpError( 500, 'pulse_sync_write_failed', __( 'WordPress failed while writing this user; it will be retried.', 'pulse-sync' ) ) );
		}
	}

	/**
	 * An item's error, as a single write would have been answered.
	 *
	 * @since 0.1.0
	 *
	 * @param HttpError $error Error.
	 * @return array{error:array{code:string,message:string,status:int}}
	 */
	private static function error( HttpError $error ): array {
		return array(
			'error' => array(
				'code'    => $error->error_code(),
				'message' => $error->getMessage(),
				'status'  => $error->status(),
			),
		);
	}

	/**
	 * Most writes accepted in one request.
	 *
	 * @since 0.1.0
	 *
	 * @return int At least 1.
	 */
	private static function max_size(): int {
		/**
		 * Filters how many user writes the bridge may send in one request. The bridge's
		 * PULSE_SYNC_WP_BATCH_SIZE must not exceed it.
		 *
		 * @since 0.1.0
		 *
		 * @param int $max Default 50.
		 */
		return max( 1, (int) apply_filters( 'pulse_sync_bridge_batch_max', self::DEFAULT_MAX ) );
	}
}
