"""The conflicts of interest pages: my declarations, a CCG's registers, declaration campaigns, the
chair's pre-meeting checklist, declarations and rulings on an item, and the published registers.

Views are thin: select what the user may see (a hidden record is a 404, and so is a page the user
may see but not act on), validate a form, call a service, redirect. A service's refusal (a
ValidationError that says why) is shown on the page. The published registers need no login.
"""
