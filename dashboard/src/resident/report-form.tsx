import type { NewReport, ObjectPublicView, ReportCategory, ReportCreated } from '@city/twin/contract';
import { MAX_PHOTO_BYTES, MAX_REPORT_CONTACT, MAX_REPORT_DESCRIPTION } from '@city/twin/contract/input-limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { fill, type Lang, label } from '../shared/i18n.ts';
import { loadCategories } from './categories.ts';
import { errorText } from './error-text.ts';
import { useSlow } from './pending.ts';
import { type PreparedPhoto, preparePhoto } from './photo.ts';
import type { ResidentStrings } from './strings.ts';

interface ReportFormProps {
  t: ResidentStrings;
  lang: Lang;
  object: ObjectPublicView;
  onCreated: (created: ReportCreated) => void;
}

type PhotoState =
  | { kind: 'none' }
  | { kind: 'preparing' }
  | { kind: 'ready'; photo: PreparedPhoto }
  | { kind: 'bad' | 'too_big' };

/**
 * Text a person typed, as the API takes it: control characters other than tab and line breaks
 * are refused by the server (contract PlainText), so they are dropped here instead of failing.
 */
function plainText(value: string, max: number): string | undefined {
  const cleaned = value.replace(/(?![\t\n\r])\p{Cc}/gu, '').trim();
  return cleaned ? cleaned.slice(0, max) : undefined;
}

/** Step 2: what is wrong - category, text, photo, contact - then the tracking code. */
export function ReportForm({ t, lang, object, onCreated }: ReportFormProps) {
  const [categories, setCategories] = useState<ReportCategory[] | null>(null);
  const [categoriesFailure, setCategoriesFailure] = useState<{ err: unknown } | null>(null);
  const [category, setCategory] = useState('');
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState('');
  const [photo, setPhoto] = useState<PhotoState>({ kind: 'none' });
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<{ err: unknown } | 'category' | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const slow = useSlow(sending);

  const fetchCategories = () => {
    setCategoriesFailure(null);
    loadCategories().then(setCategories, (err: unknown) => setCategoriesFailure({ err }));
  };
  useEffect(fetchCategories, []);

  // The preview's blob URL is let go when the photo is replaced or the form leaves.
  const previewUrl = photo.kind === 'ready' ? photo.photo.previewUrl : undefined;
  useEffect(() => () => previewUrl && URL.revokeObjectURL(previewUrl), [previewUrl]);

  // Only the latest file chosen counts: a large one still being prepared must not replace it.
  const chosen = useRef(0);
  const onFile = async (file: File | undefined) => {
    const mine = ++chosen.current;
    if (!file) return setPhoto({ kind: 'none' });
    setPhoto({ kind: 'preparing' });
    const prepared = await preparePhoto(file, MAX_PHOTO_BYTES);
    if (mine !== chosen.current) {
      if (typeof prepared === 'object') URL.revokeObjectURL(prepared.previewUrl);
      return;
    }
    if (prepared === 'not_an_image') setPhoto({ kind: 'bad' });
    else if (prepared === 'too_big') setPhoto({ kind: 'too_big' });
    else setPhoto({ kind: 'ready', photo: prepared });
  };

  const submit = async () => {
    setFailure(null);
    if (!category) {
      setFailure('category');
      document.querySelector<HTMLInputElement>('input[name="category"]')?.focus();
      return;
    }
    const body: NewReport = {
      objectNumber: object.number,
      category,
      description: plainText(description, MAX_REPORT_DESCRIPTION),
      contact: plainText(contact, MAX_REPORT_CONTACT),
      photo: photo.kind === 'ready' ? { contentType: photo.photo.contentType, data: photo.photo.data } : undefined,
    };
    setSending(true);
    try {
      onCreated(await api<ReportCreated>('/api/v1/reports', { method: 'POST', body }));
    } catch (err) {
      setFailure({ err });
    } finally {
      setSending(false);
    }
  };

  const problem = failure === 'category' ? t.chooseCategory : failure ? errorText(failure.err, t, t.notFound) : null;
  return (
    <form
      class="card report-form"
      aria-busy={sending}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <fieldset class="categories" aria-describedby="category-problem">
        <legend>
          {t.categoryLegend} <span class="required">{t.required}</span>
        </legend>
        {categories === null && !categoriesFailure && <p class="progress">{t.categoriesLoading}</p>}
        {categoriesFailure && (
          <p class="error" role="alert">
            {errorText(categoriesFailure.err, t)}{' '}
            <button type="button" class="link" onClick={fetchCategories}>
              {t.retry}
            </button>
          </p>
        )}
        {categories?.map((c) => (
          <label key={c.id} class="choice">
            <input
              type="radio"
              name="category"
              value={c.id}
              checked={category === c.id}
              onChange={() => setCategory(c.id)}
            />
            <span>{label(c, lang, c.id)}</span>
          </label>
        ))}
        <div id="category-problem" aria-live="polite">
          {failure === 'category' && (
            <p class="error" role="alert">
              {t.chooseCategory}
            </p>
          )}
        </div>
      </fieldset>

      <label for="report-description">{t.descriptionLabel}</label>
      <textarea
        id="report-description"
        name="description"
        rows={4}
        maxLength={MAX_REPORT_DESCRIPTION}
        aria-describedby="description-hint"
        value={description}
        onInput={(e) => setDescription(e.currentTarget.value)}
      />
      <p id="description-hint" class="hint">
        {t.descriptionHint}
      </p>

      <label for="report-photo">{t.photoLabel}</label>
      <input
        id="report-photo"
        ref={fileInput}
        type="file"
        name="photo"
        accept="image/jpeg,image/png,image/webp,image/*"
        capture="environment"
        aria-describedby="photo-hint photo-state"
        onChange={(e) => void onFile(e.currentTarget.files?.[0])}
      />
      <p id="photo-hint" class="hint">
        {t.photoHint}
      </p>
      <div id="photo-state" aria-live="polite">
        {photo.kind === 'preparing' && <p class="progress">{t.photoPreparing}</p>}
        {photo.kind === 'bad' && (
          <p class="error" role="alert">
            {t.photoBad}
          </p>
        )}
        {photo.kind === 'too_big' && (
          <p class="error" role="alert">
            {fill(t.photoTooBig, { mb: MAX_PHOTO_BYTES / 2 ** 20 })}
          </p>
        )}
        {photo.kind === 'ready' && (
          <div class="photo-ready">
            <img src={photo.photo.previewUrl} alt={t.photoPreview} width={96} />
            <span data-testid="photo-ready">{fill(t.photoReady, { kb: Math.ceil(photo.photo.bytes / 1024) })}</span>
            <button
              type="button"
              class="link"
              onClick={() => {
                chosen.current++;
                setPhoto({ kind: 'none' });
                if (fileInput.current) fileInput.current.value = '';
              }}
            >
              {t.photoRemove}
            </button>
          </div>
        )}
      </div>

      <label for="report-contact">{t.contactLabel}</label>
      <input
        id="report-contact"
        name="contact"
        maxLength={MAX_REPORT_CONTACT}
        autoComplete="on"
        aria-describedby="contact-hint"
        value={contact}
        onInput={(e) => setContact(e.currentTarget.value)}
      />
      <p id="contact-hint" class="hint">
        {t.contactHint}
      </p>

      <button type="submit" class="primary" disabled={sending || photo.kind === 'preparing'}>
        {sending ? t.sending : t.submit}
      </button>
      <div aria-live="polite">
        {sending && slow && <p class="progress">{t.slow}</p>}
        {problem && failure !== 'category' && (
          <p class="error" role="alert" data-testid="report-error">
            {problem}
          </p>
        )}
      </div>
    </form>
  );
}
