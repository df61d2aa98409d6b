from ninja import NinjaAPI

api = NinjaAPI(title="ST-portalen API", version="1", urls_namespace="api")
