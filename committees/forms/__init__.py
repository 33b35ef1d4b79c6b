"""Forms for the committee pages. They validate what people type; the services do every write.

Choices are narrowed to what the user may act on (the CCGs they govern, the committees they
manage, the members of the committee taking an item), so a form never offers what the service
would refuse for want of permission.
"""
