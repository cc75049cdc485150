/** A URL without its credentials, for logs, banners and /health: `mqtt://***@host:1883`. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
