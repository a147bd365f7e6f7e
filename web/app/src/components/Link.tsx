// An <a> that navigates inside the app (history API) for plain clicks.

import type { JSX } from "preact";
import { linkClick } from "../router";

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return <a {...props} onClick={linkClick} />;
}
