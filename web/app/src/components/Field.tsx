// A labelled form field with an optional hint and the server's message for it (aria-invalid,
// aria-describedby), so a screen reader hears what is wrong with which field.

import { useId } from "preact/hooks";

interface Props {
  label: string;
  value: string;
  onValue: (v: string) => void;
  hint?: string;
  error?: string | undefined;
  multiline?: boolean;
  type?: string;
  name?: string;
  autoComplete?: string;
  inputMode?: "numeric" | "text" | "email";
  required?: boolean;
  disabled?: boolean;
  autoFocus?: boolean;
}

// Addresses, usernames, passwords and codes are left to right, also in a Hebrew page.
const LTR_TYPES = new Set(["email", "password"]);
const LTR_NAMES = new Set(["login", "username", "user_id", "members", "code", "totp"]);

export function Field({ label, value, onValue, hint, error, multiline, ...input }: Props) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    value,
    name: input.name,
    required: input.required,
    disabled: input.disabled,
    autoFocus: input.autoFocus,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described,
  };
  return (
    <div class={"field" + (error ? " field--error" : "")}>
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onInput={(e) => onValue(e.currentTarget.value)} />
      ) : (
        <input {...common} type={input.type ?? "text"} dir={LTR_TYPES.has(input.type ?? "") || input.inputMode === "numeric" || LTR_NAMES.has(input.name ?? "") ? "ltr" : "auto"} autoComplete={input.autoComplete} inputMode={input.inputMode}
          onInput={(e) => onValue(e.currentTarget.value)} />
      )}
      {hint && (
        <p class="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field__error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </div>
  );
}
