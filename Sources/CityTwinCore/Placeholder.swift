// CityTwinCore
