import { App } from './App';
import { mount } from './mount';
import './panel.scss';

const CONTAINER_ID = 'pulse-sync-admin';

const container = document.getElementById( CONTAINER_ID );
if ( container ) {
	mount( <App />, container );
}
