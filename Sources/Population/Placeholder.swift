// Population
