/**
 * The admin page is part of the editor link's address, `/w/<id>#token=…&view=admin`, so a reload
 * keeps it open. Like the token, it lives in the fragment: nothing of it reaches the server.
 */
const VIEW_PARAM = "view";
const ADMIN_VIEW = "admin";

/** Whether a link's fragment asks for the admin page. */
export function isAdminViewHash(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, "")).get(VIEW_PARAM) === ADMIN_VIEW;
}

/** The fragment with the admin page marked open or closed; everything else in it is kept. */
export function adminViewHash(hash: string, open: boolean): string {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (open) params.set(VIEW_PARAM, ADMIN_VIEW);
  else params.delete(VIEW_PARAM);
  const text = params.toString();
  return text ? `#${text}` : "";
}
