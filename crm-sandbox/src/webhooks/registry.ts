import type { ContactEvent, ContactStore } from '../data/contacts';
import type { WebhookDispatcher } from './dispatcher';
import type { WebhookRule, WebhookRuleInput } from './rules';

/** The configured webhook rules, and which of them a contact change sets off. */
export class WebhookRegistry {
	private rules: WebhookRule[] = [];
	private nextId = 1;

	constructor(
		private readonly store: ContactStore,
		private readonly dispatcher: WebhookDispatcher
	) {
		store.onChange( ( event ) => this.fire( event ) );
	}

	list(): WebhookRule[] {
		return [ ...this.rules ];
	}

	add( input: WebhookRuleInput ): WebhookRule {
		const rule = { ...input, id: this.nextId++ } as WebhookRule;
		this.rules.push( rule );
		return rule;
	}

	replace( id: number, input: WebhookRuleInput ): WebhookRule | null {
		const index = this.rules.findIndex( ( rule ) => rule.id === id );
		if ( index === -1 ) {
			return null;
		}
		const rule = { ...input, id } as WebhookRule;
		this.rules[ index ] = rule;
		return rule;
	}

	remove( id: number ): boolean {
		const before = this.rules.length;
		this.rules = this.rules.filter( ( rule ) => rule.id !== id );
		return this.rules.length !== before;
	}

	clear(): void {
		this.rules = [];
	}

	snapshot(): { rules: WebhookRule[]; next_id: number } {
		return { rules: this.list(), next_id: this.nextId };
	}

	restore( snapshot: { rules: WebhookRule[]; next_id: number } ): void {
		this.rules = [ ...snapshot.rules ];
		this.nextId = snapshot.next_id;
	}

	private fire( event: ContactEvent ): void {
		const contact = this.store.get( event.contactId );
		if ( ! contact ) {
			return;
		}
		for ( const rule of this.rules ) {
			const matches =
				event.type === 'tag_applied'
					? rule.trigger === 'tag_applied' &&
						rule.tag_id === event.tagId
					: rule.trigger === 'contact_updated';
			if ( matches ) {
				this.dispatcher.enqueue(
					rule,
					contact.id,
					this.store.toEntity( contact )
				);
			}
		}
	}
}
