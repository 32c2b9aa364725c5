import sys
from django.http import HttpResponse
def __getattr__(name):
    return lambda request, *a, **k: HttpResponse("placeholder")
