<?php
/**
 * Hands a validated webhook to the bridge and turns the outcome into an answer.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Webhook;

use PulseSync\Bridge\BridgeUnavailable;
use PulseSync\Bridge\Client;
use PulseSync\Bridge\Response;
use PulseSync\HttpError;
use PulseSync\Settings;

defined( 'ABSPATH' ) || exit;

/**
 * Forward → (wait) → answer, or spool → 202.
 *
 * @since 0.1.0
 */
class Dispatcher {


	/**
	 * Bridge client.
	 *
	 * @since 0.1.0
	 * @var Client
	 */
	private Client $client;

	/**
	 * Whether the bridge took the delivery (so spooled ones can follow).
	 *
	 * @since 0.1.0
	 * @var bool
	 */
	private bool $bridge_answered = false;

	/**
	 * Constructor.
	 *
	 * @since 0.1.0
	 *
	 * @param Client $client Bridge client.
	 */
	public function __construct( Client $client ) {
		$this->client = $client;
	}

	/**
	 * Dispatches one delivery.
	 *
	 * @since 0.1.0
	 *
	 * @param string              $action     add, update or update_tags.
	 * @param int                 $contact_id CRM contact id.
	 * @param array<string,mixed> $params     send_notification and role.
	 * @param string              $source_ip  Caller's IP address.
	 * @return Answer
	 * @throws HttpError 503 when the delivery could not be stored anywhere.
	 */
	public function dispatch( string $action, int $contact_id, array $params, string $source_ip ): Answer {
		$delivery = array(
			'id'          => Client::new_message_id(),
			'action'      => $action,
			'contact_id'  => $contact_id,
			'params'      => $params,
			'source_ip'   => $source_ip,
			'received_at' => gmdate( 'Y-m-d\TH:i:s\Z' ),
			'wait_ms'     => 0,
		);
		if ( FlowControl::bridge_down_reported() ) {
			return $this->spool( $delivery );
		}
		$slot = FlowControl::acquire();
		if ( null !== $slot ) {
			$delivery['wait_ms'] = (int) Settings::get( 'wait_budget_ms' );
		}
		try {
			// The bridge answers 202 once the budget is spent, so allow the budget plus the normal timeout.
			$response = $this->client->forward_delivery( $delivery, $delivery['wait_ms'] / 1000 + Client::default_timeout() );
		} catch ( BridgeUnavailable $e ) {
			FlowControl::note_bridge_down();
			return $this->spool( $delivery );
		} finally {
			if ( null !== $slot ) {
				FlowControl::release( $slot );
			}
		}
		return $this->interpret( $delivery, $response );
	}

	/**
	 * Whether the bridge answered this request, i.e. spooled deliveries can be handed over now.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	public function bridge_answered(): bool {
		return $this->bridge_answered;
	}

	/**
	 * Turns the bridge's answer into the webhook's answer.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery.
	 * @param Response            $response Bridge answer.
	 * @return Answer
	 * @throws HttpError 503 when the bridge refused and the spool failed too.
	 */
	private function interpret( array $delivery, Response $response ): Answer {
		$body  = $response->body;
		$state = $body['state'] ?? '';
		if ( 202 === $response->status && 'queued' === $state ) {
			$this->bridge_answered = true;
			if ( (int) ( $body['backlog'] ?? 0 ) > 0 ) {
				FlowControl::note_backlog();
			}
			return Answer::queued( $delivery['id'] );
		}
		if ( 200 === $response->status && 'done' === $state && is_array( $body['result'] ?? null ) ) {
			$this->bridge_answered = true;
			return self::done( $delivery, $body['result'] );
		}
		if ( 200 === $response->status && 'failed' === $state && is_array( $body['error'] ?? null ) ) {
			$this->bridge_answered = true;
			return self::failed( $delivery, $body['error'] );
		}
		// A refusal (bad pairing, bridge error) must not lose the delivery: keep it for later.
		return $this->spool( $delivery );
	}

	/**
	 * 200 with the job's result; `user_id` is null for a skip.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery.
	 * @param array<string,mixed> $result   `result` from the bridge.
	 * @return Answer
	 */
	private static function done( array $delivery, array $result ): Answer {
		$status = (string) ( $result['status'] ?? '' );
		// A skip touched no user, and the user of a protected skip is an administrator whose
		// id is nobody's business outside the site (the delivery log keeps it for the owner).
		$user_id = 'skipped' !== $status && isset( $result['user_id'] ) ? (int) $result['user_id'] : null;
		$body    = array(
			'success'     => true,
			'action'      => $delivery['action'],
			'contact_id'  => $delivery['contact_id'],
			'status'      => $status,
			'user_id'     => $user_id,
			'delivery_id' => $delivery['id'],
		);
		if ( isset( $result['reason'] ) && is_string( $result['reason'] ) ) {
			$body['reason'] = $result['reason'];
		}
		return new Answer( 200, $body );
	}

	/**
	 * The failed job's status (404 contact not found, 422 no valid email, …).
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery.
	 * @param array<string,mixed> $error    `error` from the bridge.
	 * @return Answer
	 */
	private static function failed( array $delivery, array $error ): Answer {
		$status = (int) ( $error['http_status'] ?? 0 );
		// Only a 4xx says what was wrong with the contact; anything else is our failure to process it.
		if ( $status < 400 || $status > 499 ) {
			$status = 502;
		}
		return new Answer(
			$status,
			array(
				'success'     => false,
				'error'       => (string) ( $error['code'] ?? 'delivery_failed' ),
				'message'     => (string) ( $error['message'] ?? __( 'The delivery failed.', 'pulse-sync' ) ),
				'delivery_id' => $delivery['id'],
			)
		);
	}

	/**
	 * Stores the delivery for a later hand-over and answers 202.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $delivery Delivery.
	 * @return Answer
	 * @throws HttpError 503 when the spool refused the write.
	 */
	private function spool( array $delivery ): Answer {
		if ( ! Spool::store( $delivery ) ) {
			throw new HttpError( 503, 'storage_unavailable', __( 'The delivery could not be stored; please retry.', 'pulse-sync' ), array( 'Retry-After' => '60' ) );
		}
		return Answer::queued( $delivery['id'] );
	}
}
