import type { Ref } from 'preact';

export interface CodeInputProps {
  id: string;
  name: string;
  value: string;
  maxLength: number;
  /** The ids of the hint (and the problem) that describe it. */
  describedBy: string;
  invalid?: boolean;
  inputRef?: Ref<HTMLInputElement>;
  onInput(value: string): void;
  /** The submit button's text. */
  submit: string;
  busy: boolean;
}

/**
 * A code typed as it is printed (an object number, a tracking code) with its form's submit button:
 * capitals on phone keyboards, and no autocomplete or spellcheck to change what was typed.
 */
export function CodeInput(p: CodeInputProps) {
  return (
    <div class="row">
      <input
        id={p.id}
        ref={p.inputRef}
        name={p.name}
        value={p.value}
        maxLength={p.maxLength}
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        aria-describedby={p.describedBy}
        aria-invalid={p.invalid}
        onInput={(e) => p.onInput(e.currentTarget.value)}
      />
      <button type="submit" disabled={p.busy}>
        {p.submit}
      </button>
    </div>
  );
}
