//! Truth-grade models: target routes and kinematics
