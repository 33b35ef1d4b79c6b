"""The committee pages: committees and their terms of reference, members, meetings, agendas, papers,
quorum, votes, decisions, chair's actions, matters and minutes.

Views are thin: select what the user may see (a hidden record is a 404), check what they may do
(a page they may see but not act on is a 404 too), validate a form, call a service, redirect. A
service's refusal (a ValidationError that says why) is shown on the page, never as an error page.
"""
