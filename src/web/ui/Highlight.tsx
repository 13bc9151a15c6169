/**
 * Renders a search snippet whose matches the server wrapped in <mark>…</mark> (the rest HTML-escaped): as text
 * nodes and <mark> elements, never as HTML.
 */
const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');

export function Highlight(props: { snippet: string }) {
  const parts = props.snippet.split(/(<mark>.*?<\/mark>)/s);
  return (
    <>
      {parts.map((p, i) =>
        p.startsWith('<mark>') ? (
          <mark key={i} className="hit">
            {unescape(p.slice(6, -7))}
          </mark>
        ) : (
          <span key={i}>{unescape(p)}</span>
        ),
      )}
    </>
  );
}
