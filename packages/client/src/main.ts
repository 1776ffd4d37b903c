import type { Collab } from "./collab/collab.ts";
import { type FirstLoad, startFirstLoad } from "./collab/preview.ts";
import { fetchSession, parseEditorLink } from "./collab/session.ts";
import "./styles/base.css";
import "./styles/app.css";
import "./styles/grid.css";
import "./styles/sheets.css";

const link = parseEditorLink(window.location);

// The page's own code and its session are asked for first: the server answers the preview of a
// large tab in one go on its event loop (a few hundred ms for 30,000 rows), and requests that
// arrive behind it wait (measured: the scripts arrived 2.2 s late on a cold server).
const mounting = import("./app/mount.tsx");
const session = link ? fetchSession(link) : null;
const connecting = link ? import("./collab/connect.ts") : null;

// Starts before the interface's code has arrived: a large workbook on a cold server takes seconds
// to load, and that wait now overlaps with fetching and parsing React and AG Grid instead of
// following them. The preview comes first; the WebSocket opens once it is on screen and the
// reader pauses (see startFirstLoad). Boot takes this first attempt over (and shows its errors).
const firstLoad: FirstLoad | null = link ? startFirstLoad(link) : null;
const opening: Promise<Collab> | null =
  link && firstLoad && session && connecting
    ? Promise.all([session, connecting, firstLoad.shown]).then(([s, { connectWorkbook }]) => connectWorkbook(s, link.token))
    : null;
// Boot attaches its own handlers once mounted; until then a refusal is not an unhandled rejection.
opening?.catch(() => undefined);

void mounting.then(({ mount }) => mount(link, opening, firstLoad));
