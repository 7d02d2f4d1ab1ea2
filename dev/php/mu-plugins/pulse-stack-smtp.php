<?php
/**
 * Plugin Name: Pulse Stack SMTP
 * Description: Local stack only. Sends all WordPress mail to the stack's SMTP sink, since this
 * machine has no sendmail. Linked in by dev/src/wordpress-site.ts; never part of the plugin.
 *
 * @package PulseSync\Dev
 */

defined( 'ABSPATH' ) || exit;

add_action(
	'phpmailer_init',
	static function ( $mailer ) {
		$mailer->isSMTP();
		$mailer->Host        = '127.0.0.1';
		$mailer->Port        = (int) PULSE_STACK_SMTP_PORT;
		$mailer->SMTPAuth    = false;
		$mailer->SMTPAutoTLS = false;
	}
);
