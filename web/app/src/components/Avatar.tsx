// A round avatar with initials on a colour derived from the id; a dot when online.

import { hue, initials } from "../state/users";

export function Avatar({ id, name, text, online, size = 40 }: { id: string; name: string; text?: string; online?: boolean | null; size?: number }) {
  return (
    <span class="avatar" style={{ "--avatar-hue": String(hue(id)), width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.34)}px` }} aria-hidden="true">
      {text ?? initials(name)}
      {online && <span class="avatar__online" />}
    </span>
  );
}
