/** Spoken languages offered in pickers; null means detect from the audio. */
export interface LanguageOption {
  code: string | null;
  label: string;
}

export const LANGUAGE_OPTIONS: readonly LanguageOption[] = [
  { code: null, label: 'Auto-detect' },
  { code: 'ko', label: 'Korean' },
  { code: 'en', label: 'English' },
  { code: 'ja', label: 'Japanese' },
  { code: 'zh', label: 'Chinese' },
  { code: 'de', label: 'German' },
  { code: 'fr', label: 'French' },
  { code: 'es', label: 'Spanish' },
  { code: 'it', label: 'Italian' },
  { code: 'pt', label: 'Portuguese' },
  { code: 'nl', label: 'Dutch' },
  { code: 'ru', label: 'Russian' },
  { code: 'uk', label: 'Ukrainian' },
  { code: 'pl', label: 'Polish' },
  { code: 'tr', label: 'Turkish' },
  { code: 'sv', label: 'Swedish' },
  { code: 'ar', label: 'Arabic' },
  { code: 'hi', label: 'Hindi' },
  { code: 'vi', label: 'Vietnamese' },
  { code: 'id', label: 'Indonesian' },
];

/** Select elements hold strings; the empty string stands for auto-detect. */
export function languageToValue(code: string | null): string {
  return code ?? '';
}

export function valueToLanguage(value: string): string | null {
  return value === '' ? null : value;
}

export function languageLabel(code: string | null): string {
  return LANGUAGE_OPTIONS.find((option) => option.code === code)?.label ?? code ?? 'Auto-detect';
}
