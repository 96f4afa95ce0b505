/* The administration (GET/POST /admin, RevOps: the service decides) and the account page
 * (GET /account) where anyone saves their language. */
#include "server/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int page_admin(hf_page *pg)
{
    hf_actor a;
    hf_page_actor(pg, &a);
    if (!hf_svc_may_administer(&a))
        return hf_page_error(pg, 403, N_("You cannot open this page"),
                             N_("Administration is for RevOps. Ask a RevOps colleague if you "
                                "need a change."));
    json_t *data = json_object();
    json_object_set_new(data, "heading", json_string(hf_tr(pg->lang, "Admin")));
    json_object_set_new(data, "message",
                        json_string(hf_tr(pg->lang, "Users, teams, the protocol and "
                                                    "integrations will be managed here.")));
    return hf_page_render(pg, 200, "placeholder", N_("Admin"), data);
}
