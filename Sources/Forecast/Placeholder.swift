// Forecast
