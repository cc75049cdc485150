import { render } from 'preact';
import '../shared/base.css';
import './desk.css';
import { DeskRoot } from './desk-app.tsx';

render(<DeskRoot />, document.getElementById('app') as HTMLElement);
