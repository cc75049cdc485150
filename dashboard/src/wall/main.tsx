import { render } from 'preact';
import { LangSwitch } from '../shared/lang-switch.tsx';

render(<LangSwitch />, document.getElementById('app') as HTMLElement);
