// Scrolling of the message list: start at the newest message, stay at the bottom while new ones
// arrive (unless the reader scrolled up), keep the view still when older ones are put on top,
// and load older pages when the top comes into view.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

export function useScrollKeeper(opts: { firstKey: string | undefined; lastKey: string | undefined; lastIsMine: boolean; onTop: () => void; canLoad: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const fromBottom = useRef(0);
  const prevFirst = useRef<string | undefined>(undefined);
  const [showJump, setShowJump] = useState(false);

  function onScroll() {
    const el = box.current;
    if (!el) return;
    const gap = el.scrollHeight - el.scrollTop - el.clientHeight;
    atBottom.current = gap < 80;
    fromBottom.current = el.scrollHeight - el.scrollTop;
    setShowJump(gap > 400);
  }

  function toBottom() {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setShowJump(false);
  }

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (prevFirst.current !== undefined && opts.firstKey !== prevFirst.current && !atBottom.current) {
      // Older messages were added above: keep what the reader sees in place.
      el.scrollTop = el.scrollHeight - fromBottom.current;
    } else if (atBottom.current || opts.lastIsMine) {
      el.scrollTop = el.scrollHeight;
    }
    prevFirst.current = opts.firstKey;
    fromBottom.current = el.scrollHeight - el.scrollTop;
  }, [opts.firstKey, opts.lastKey]);

  useEffect(() => {
    const el = box.current;
    const sentinel = top.current;
    if (!el || !sentinel || !opts.canLoad) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) opts.onTop();
    }, { root: el, rootMargin: "200px 0px 0px 0px" });
    io.observe(sentinel);
    return () => io.disconnect();
  }, [opts.canLoad, opts.firstKey]);

  return { box, top, onScroll, toBottom, showJump };
}
