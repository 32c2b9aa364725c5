from django.contrib import admin

from .models import ArchiveConfig


@admin.register(ArchiveConfig)
class ArchiveConfigAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not ArchiveConfig.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
