import { Button, Flex, Modal } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';

/**
 * A confirmation built on Modal: `__experimentalConfirmDialog` is not in WordPress 6.1.
 * @param root0
 * @param root0.title
 * @param root0.confirmLabel
 * @param root0.busy
 * @param root0.onConfirm
 * @param root0.onCancel
 * @param root0.children
 */
export function ConfirmModal( {
	title,
	confirmLabel,
	busy = false,
	onConfirm,
	onCancel,
	children,
}: {
	title: string;
	confirmLabel: string;
	busy?: boolean;
	onConfirm: () => void;
	onCancel: () => void;
	children: ReactNode;
} ) {
	return (
		<Modal
			className="pulse-sync-modal"
			title={ title }
			onRequestClose={ onCancel }
		>
			{ children }
			<Flex justify="flex-end">
				<Button
					variant="tertiary"
					onClick={ onCancel }
					disabled={ busy }
				>
					{ __( 'Cancel', 'pulse-sync' ) }
				</Button>
				<Button
					variant="primary"
					isDestructive
					isBusy={ busy }
					disabled={ busy }
					onClick={ onConfirm }
				>
					{ confirmLabel }
				</Button>
			</Flex>
		</Modal>
	);
}
