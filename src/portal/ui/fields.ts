import { flag, html, trusted, type Html } from '../html.ts';
import type { View } from './view.ts';

/**
 * Form controls that follow one accessible pattern: a visible label, an optional hint, the error message right
 * above the control (`aria-describedby`, `aria-invalid`), the value kept after an error. The id of each control
 * is `f-<name>`, the anchor the error summary links to.
 */
export interface FieldOptions {
  name: string;
  label: string;
  hint?: string | undefined;
  value?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  type?: 'text' | 'email' | 'tel' | 'date' | 'password';
  maxlength?: number;
  inputmode?: string;
  width?: 'short' | 'medium' | 'full';
  /** `auto` for free text in any script; `ltr` for codes, e-mail addresses and phone numbers. */
  dir?: 'auto' | 'ltr';
  spellcheck?: boolean;
}

const idOf = (name: string) => `f-${name}`;

function labelFor(v: View, o: { name: string; label: string; required?: boolean | undefined }): Html {
  return html`<label class="label" for="${idOf(o.name)}">${o.label}${o.required ? '' : html` <span class="optional">${v.t('form.optional')}</span>`}</label>`;
}

function hintAndError(v: View, o: { name: string; hint?: string | undefined; error?: string | undefined }): Html {
  return html`${o.hint ? html`<p class="hint" id="${idOf(o.name)}-hint">${o.hint}</p>` : ''}${
    o.error ? html`<p class="error-message" id="${idOf(o.name)}-error"><span class="visually-hidden">${v.t('errors.prefix')} </span>${o.error}</p>` : ''
  }`;
}

function describedBy(o: { name: string; hint?: string | undefined; error?: string | undefined }): Html | '' {
  const ids = [o.hint ? `${idOf(o.name)}-hint` : '', o.error ? `${idOf(o.name)}-error` : ''].filter(Boolean);
  return ids.length ? html` aria-describedby="${ids.join(' ')}"` : '';
}

const common = (o: FieldOptions): Html =>
  html`${o.error ? trusted(' aria-invalid="true"') : ''}${flag('required', o.required)}${describedBy(o)}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.dir ? html` dir="${o.dir}"` : ''}${
    o.spellcheck === false ? trusted(' spellcheck="false"') : ''
  }`;

export function textInput(v: View, o: FieldOptions): Html {
  return html`<div class="field${o.error ? ' field-error' : ''}">
${labelFor(v, o)}${hintAndError(v, o)}
<input class="input ${o.width ?? 'full'}" id="${idOf(o.name)}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${
    o.inputmode ? html` inputmode="${o.inputmode}"` : ''
  }${common(o)}>
</div>`;
}

export function textArea(v: View, o: FieldOptions & { rows?: number }): Html {
  return html`<div class="field${o.error ? ' field-error' : ''}">
${labelFor(v, o)}${hintAndError(v, o)}
<textarea class="textarea" id="${idOf(o.name)}" name="${o.name}" rows="${o.rows ?? 5}"${common({ ...o, dir: o.dir ?? 'auto' })}>${o.value ?? ''}</textarea>
</div>`;
}

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  lang?: string;
}

export function select(v: View, o: FieldOptions & { options: Choice[]; empty?: string }): Html {
  return html`<div class="field${o.error ? ' field-error' : ''}">
${labelFor(v, o)}${hintAndError(v, o)}
<select class="select" id="${idOf(o.name)}" name="${o.name}"${common(o)}>
${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}${o.options.map(
    (c) => html`<option value="${c.value}"${c.lang ? html` lang="${c.lang}"` : ''}${flag('selected', c.value === o.value)}>${c.label}</option>`,
  )}
</select>
</div>`;
}

/** A group of radio buttons in a fieldset; the first option carries the group's anchor id. */
export function radios(
  v: View,
  o: { name: string; legend: string; options: Choice[]; value?: string | undefined; error?: string | undefined; hint?: string; required?: boolean; inline?: boolean },
): Html {
  const hintId = o.hint ? `${idOf(o.name)}-hint` : '';
  const errorId = o.error ? `${idOf(o.name)}-error` : '';
  const described = [hintId, errorId].filter(Boolean).join(' ');
  return html`<div class="field${o.error ? ' field-error' : ''}">
<fieldset class="fieldset"${described ? html` aria-describedby="${described}"` : ''}>
<legend class="legend">${o.legend}</legend>
${hintAndError(v, o)}
<div class="choices${o.inline ? ' inline' : ''}">
${o.options.map((c, i) => {
    const id = i === 0 ? idOf(o.name) : `${idOf(o.name)}-${i}`;
    const hint = c.hint ? `${id}-hint` : '';
    return html`<div class="choice"><input type="radio" id="${id}" name="${o.name}" value="${c.value}"${flag('checked', c.value === o.value)}${
      o.error ? trusted(' aria-invalid="true"') : ''
    }${hint ? html` aria-describedby="${hint}"` : ''}><label for="${id}">${c.label}</label>${c.hint ? html`<p class="hint" id="${hint}">${c.hint}</p>` : ''}</div>`;
  })}
</div>
</fieldset>
</div>`;
}

export function checkbox(
  v: View,
  o: { name: string; label: string; checked?: boolean; error?: string | undefined; hint?: string | undefined; value?: string },
): Html {
  return html`<div class="field${o.error ? ' field-error' : ''}">
${hintAndError(v, { name: o.name, error: o.error })}
<div class="choice"><input type="checkbox" id="${idOf(o.name)}" name="${o.name}" value="${o.value ?? 'yes'}"${flag('checked', o.checked)}${
    o.error ? trusted(' aria-invalid="true"') : ''
  }${describedBy(o)}><label for="${idOf(o.name)}">${o.label}</label>${o.hint ? html`<p class="hint" id="${idOf(o.name)}-hint">${o.hint}</p>` : ''}</div>
</div>`;
}

export function fileInput(v: View, o: { name: string; label: string; hint?: string; error?: string | undefined; accept: string }): Html {
  return html`<div class="field${o.error ? ' field-error' : ''}">
${labelFor(v, { ...o, required: false })}${hintAndError(v, o)}
<input class="file" type="file" id="${idOf(o.name)}" name="${o.name}" multiple accept="${o.accept}"${o.error ? trusted(' aria-invalid="true"') : ''}${describedBy(o)}>
</div>`;
}

export function hidden(name: string, value: string): Html {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

export function button(label: string, o: { kind?: 'primary' | 'secondary' | 'warning'; name?: string; value?: string } = {}): Html {
  return html`<button class="button ${o.kind ?? 'primary'}" type="submit"${o.name ? html` name="${o.name}" value="${o.value ?? ''}"` : ''}>${label}</button>`;
}

/** The accepted attachment types, for the file picker (the server sniffs the content whatever it is called). */
export const ACCEPT =
  '.pdf,.txt,.rtf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.heic,.heif,.avif,.mp3,.wav,.ogg,.m4a,.aac,.flac,.amr,.csv,.eml';
