import type { Collab } from "./collab/collab.ts";
import { type FirstLoad, startFirstLoad } from "./collab/preview.ts";
import { fetchSession, parseEditorLink } from "./collab/session.ts";
import "./styles/base.css";
import "./styles/app.css";
import "./styles/grid.css";
import "./styles/sheets.css";

const link = parseEditorLink(window.location);

// Starts before the interface's code has arrived: a large workbook on a cold server takes seconds
// to load, and that wait now overlaps with fetching and parsing React and AG Grid instead of
// following them. The preview comes first; the WebSocket opens once it is on screen and the
// reader pauses (see startFirstLoad). Boot takes this first attempt over (and shows its errors).
const firstLoad: FirstLoad | null = link ? startFirstLoad(link) : null;
const opening: Promise<Collab> | null =
  link && firstLoad
    ? Promise.all([fetchSession(link), import("./collab/connect.ts"), firstLoad.shown]).then(([session, { connectWorkbook }]) =>
        connectWorkbook(session, link.token),
      )
    : null;
// Boot attaches its own handlers once mounted; until then a refusal is not an unhandled rejection.
opening?.catch(() => undefined);

void import("./app/mount.tsx").then(({ mount }) => mount(link, opening, firstLoad));
