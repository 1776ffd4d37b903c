import { type FormDependencies, resolveFormLink } from "../forms/context.ts";
import { ManageUpdateBody, readManageView, resolveManageToken, updateRequest, withdrawRequest } from "../forms/manage.ts";
import { FORM_ASSETS_PATH, formPageScript } from "../forms/page-script.ts";
import { formPageRoutes } from "../forms/pages/page-routes.ts";
import { admit } from "../forms/request.ts";
import { FormSubmissionBody, MAX_FORM_BODY_BYTES, describeForm, submitForm } from "../forms/submit.ts";
import { HttpError, sendJson } from "./errors.ts";
import { readJson } from "./request.ts";
import type { Route } from "./router.ts";

/**
 * The request form and manage link, for programs (`/api/forms/…`, `/api/manage/…`, JSON) and for
 * people (`/f/…`, `/m/…`, server-rendered pages), plus the pages' script. See docs/api.md.
 */
export function formRoutes(deps: FormDependencies): Route[] {
  const token = (params: Readonly<Record<string, string>>) => params["token"] ?? "";
  return [
    {
      method: "GET",
      path: "/api/forms/:token",
      async handle({ req, res, params }) {
        admit(deps, req);
        sendJson(res, 200, await describeForm(deps, await resolveFormLink(deps, token(params))));
      },
    },
    {
      method: "POST",
      path: "/api/forms/:token",
      async handle({ req, res, params }) {
        const address = admit(deps, req);
        const link = await resolveFormLink(deps, token(params));
        const body = FormSubmissionBody.parse(await readJson(req, MAX_FORM_BODY_BYTES));
        const { reply, replayed } = await submitForm(deps, link, body, address);
        sendJson(res, 201, reply, replayed ? { "Idempotent-Replayed": "true" } : {});
      },
    },
    {
      method: "GET",
      path: "/api/manage/:token",
      async handle({ req, res, params }) {
        admit(deps, req);
        sendJson(res, 200, await readManageView(deps, await resolveManageToken(deps, token(params))));
      },
    },
    {
      method: "POST",
      path: "/api/manage/:token",
      async handle({ req, res, params }) {
        admit(deps, req);
        const record = await resolveManageToken(deps, token(params));
        const body = ManageUpdateBody.parse(await readJson(req, MAX_FORM_BODY_BYTES));
        sendJson(res, 200, await updateRequest(deps, record, body));
      },
    },
    {
      method: "POST",
      path: "/api/manage/:token/withdraw",
      async handle({ req, res, params }) {
        admit(deps, req);
        sendJson(res, 200, await withdrawRequest(deps, await resolveManageToken(deps, token(params))));
      },
    },
    {
      method: "GET",
      path: `${FORM_ASSETS_PATH}/:file`,
      async handle({ res, params }) {
        const script = await formPageScript(deps.logger);
        if (!script || params["file"] !== script.fileName) throw new HttpError(404, "not_found", "no such file");
        res.writeHead(200, {
          "Content-Type": "text/javascript; charset=utf-8",
          "Content-Length": Buffer.byteLength(script.code),
          "Cache-Control": "public, max-age=31536000, immutable",
        });
        res.end(res.req.method === "HEAD" ? undefined : script.code);
      },
    },
    ...formPageRoutes(deps),
  ];
}
